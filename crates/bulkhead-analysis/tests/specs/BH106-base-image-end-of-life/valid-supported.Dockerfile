FROM python:3.13-slim-bookworm
COPY app.py /app/
CMD ["python", "/app/app.py"]
