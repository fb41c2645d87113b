FROM debian:bookworm-slim
RUN apt-get update
RUN <<EOF
apt-get install -y curl
EOF
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile C:\tool.zip
RUN Expand-Archive C:\tool.zip -DestinationPath C:\tool; Remove-Item C:\tool.zip
