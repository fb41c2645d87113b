# `python:2` is Python 2.7, the last 2.x.
FROM python:2-alpine
CMD ["python", "app.py"]
