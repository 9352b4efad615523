"""The web page over the qa package; every library that would phone home is switched off before gradio loads."""

from qa.offline import stay_offline

stay_offline()
