"""What goes into the wheel (the rest of the metadata is in pyproject.toml).

The repository's top-level `templates/` is the sample site's and the generator's built-in
templates at once (SPEC section 1), so it stays where it is and is mapped into the package as
`xxgk/templates/`, where xxgk/resources.py finds it in an installed copy."""
from setuptools import find_packages, setup

TEMPLATE_PACKAGES = ["xxgk.templates", "xxgk.templates.assets", "xxgk.templates.components"]
DATA = ["*.yaml", "*.json", "*.txt", "*.html", "*.css", "*.js", "*.md", "*.gitignore", "*.yml"]

setup(
    packages=find_packages(include=["xxgk", "xxgk.*"]) + TEMPLATE_PACKAGES + ["xxgk.starter"],
    package_dir={"xxgk.templates": "templates"},
    # every file of the templates' folders (assets are images and icons too), and of the starter site
    package_data={"": DATA, **{name: ["*"] for name in TEMPLATE_PACKAGES}, "xxgk.starter": ["**/*"]},
    include_package_data=False,
)
