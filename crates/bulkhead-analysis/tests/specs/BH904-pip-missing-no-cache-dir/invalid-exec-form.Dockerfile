# Exec form: the fix adds a JSON string.
FROM python:3.12-slim
RUN ["pip", "install", "flask==3.0.3"]
RUN ["python3", "-m", "pip", "install", "gunicorn==23.0.0"]
