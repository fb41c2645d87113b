FROM python:3.12-slim
ENV OPENAI_API_KEY=sk-proj-4fGh7Jk2Lm9Np3Qr5St8Uv
run pip install --index-url https://deploy:s3cr3t-Passw0rd@pypi.example.com/simple app
