from python:3.12-slim
arg PIP_INDEX_PASSWORD
run <<EOF
pip config set global.index-url "https://build:${PIP_INDEX_PASSWORD}@pypi.example.com/simple"
pip install -r requirements.txt
EOF
