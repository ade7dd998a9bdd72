"""naltrack: naltrexone-assisted treatment of alcohol and opioid use disorder, in software."""

__version__ = "0.1.0"
