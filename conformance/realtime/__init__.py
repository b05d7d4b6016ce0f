"""Realtime API over WebSocket: session records, readable cassettes, the recording proxy and the replay server.

Modules: events (vocabulary), frames (WsSession), cassette (file format), loopback (local server), proxy (record),
replay (offline), listen and audio (probe helpers), material (what the probes send, read back by the checks).
The WebSocket half of the runner that drives them is conformance.runner.ws.
"""
