"""Record/replay: vcrpy configuration, secret scrubbing, cassette layout and metadata."""
