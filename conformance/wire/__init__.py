"""Wire layer: what went over HTTP, captured byte for byte, and pure decoders for it."""
