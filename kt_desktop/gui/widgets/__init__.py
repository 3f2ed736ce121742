"""Small widgets shared by the shell's pages: icons, the look, cards, region and date pickers."""
