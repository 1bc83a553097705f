"""Rasa server extensions: the telephone's input channel (voice_channel.VoiceInput)."""
