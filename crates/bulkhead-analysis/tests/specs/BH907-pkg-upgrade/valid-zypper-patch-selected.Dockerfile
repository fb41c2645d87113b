# A `zypper patch` that picks its patches is not a full upgrade.
FROM opensuse/leap:15.6
RUN zypper -n patch --cve=CVE-2024-6387
RUN zypper -n patch --bugzilla=1234567 --category security
RUN zypper -n patch -g security
