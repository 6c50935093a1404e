package qa
