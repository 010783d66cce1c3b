"""Account health, the way the commission calculator is kept: plain Python, no ORM. The
partner model reads the signals from the books and the chatter, calls ``scoring.score``
and writes its result."""
