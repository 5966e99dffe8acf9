"""What every backend whose boxes live elsewhere (a container, a hosted VM) shares: the
runner that sits beside the boxes, the line protocol it speaks and the host's end of it.

- `wire`: the messages, JSON lines with bytes in base64 and program files sent once each;
- `runner`: the process inside the container or VM; it runs requests on a `LocalBackend`
  there, so limits, measurements and verdicts are the local backend's own;
- `channel`: the host's end, over any byte transport (Docker's attached stdio, E2B's
  process stdin/stdout events), with a deadline on every call.
"""
