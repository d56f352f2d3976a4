#!/usr/bin/env python3
"""The skill's own command, `python3 tools/analyze_escrow_json.py [flags] escrow_*.json`: same flags, answered by
the Java analyzer (tools/analyze-escrow), so the skill's steps work unchanged."""
import os
import sys

tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "analyze-escrow")
os.execv(tool, [tool] + sys.argv[1:])
