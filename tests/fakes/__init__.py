"""Fakes of outside services, served over real HTTP on 127.0.0.1."""
