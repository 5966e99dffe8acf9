"""Problem formats the judge loads: cpforge's problem directory (`cpforge`), Polygon
packages (`polygon`) and open-r1's `verification_info` (`verification`), each into the
judge's one problem model (sandbox/judge/model.py)."""
