"""One page per step of the counselling walkthrough."""
