"""Theme matching: which of a directive's themes an article is about, zero-shot then learnt."""
