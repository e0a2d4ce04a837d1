"""The Faust application and everything that defines mediawatch's streams."""
