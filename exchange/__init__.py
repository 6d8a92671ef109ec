"""Sàn Giao dịch công nghệ Quảng Nam."""
