"""adapters/lumiq"""
