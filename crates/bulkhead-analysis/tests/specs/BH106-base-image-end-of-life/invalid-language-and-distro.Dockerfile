# Python 3.8 and Debian 10 both ended.
FROM python:3.8-slim-buster
COPY app.py /app/
CMD ["python", "/app/app.py"]
