"""The parts of ``rughernia check`` (the command itself is ``rughernia.check_cli``).

``case``: which questions are asked, in which order, and the case the answers
describe. ``screen``: how the result is shown. Neither decides anything
clinical: the pathway does.
"""
