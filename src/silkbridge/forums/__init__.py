"""forums"""
