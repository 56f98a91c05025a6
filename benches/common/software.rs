//! The platform of the benchmarks that drive the kiosk's window: its one window is a
//! `MinimalSoftwareWindow`, so frames are rendered into a buffer the bench owns, as the kiosk's
//! LinuxKMS backend renders into the screen's.

use std::rc::Rc;

use slint::platform::software_renderer::MinimalSoftwareWindow;

pub struct SoftwarePlatform {
    pub window: Rc<MinimalSoftwareWindow>,
}

impl slint::platform::Platform for SoftwarePlatform {
    fn create_window_adapter(
        &self,
    ) -> Result<Rc<dyn slint::platform::WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }
}
