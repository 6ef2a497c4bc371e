"""`atrace report`: what made a traced build slow, what failed, in one page.

collect.py reads the trace once into BuildFacts; jobs.py groups processes
into build jobs; critical.py finds the critical path and the parallelism
over time; page.py writes the self-contained HTML, summary.py the text for
the terminal; command.py is the `atrace report` command line.
"""
