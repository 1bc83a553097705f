"""Rasa server extensions: the telephone's input channel (voice_channel.VoiceInput), and speed fixes
for two of Rasa 3.6's per-turn look-ups (rasa_speedups), installed when the server imports this package."""
from bot import rasa_speedups

rasa_speedups.apply()
