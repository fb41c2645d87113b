# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
MAINTAINER Jane "J" C:\team`
  <j@x>
RUN echo hi
