"""What Putokaz does to people's words before it keeps any of them."""
