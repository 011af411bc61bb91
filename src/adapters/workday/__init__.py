"""adapters/workday"""
