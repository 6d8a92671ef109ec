"""The yearly plan of S&T information activities."""
