"""site_config.yaml: each setting is a small typed option that validates itself."""
from .site import SiteConfig, Agency, Topic, load_config, OPTIONS  # noqa: F401
