//! The Raspberry Pi's GPIO devices, through `rppal`: the lock relay, the door switch, the buzzer
//! and the status LED.
//!
//! Pins are BCM GPIO numbers. Each output has a configurable active level (most relay boards
//! switch on a low input). Off a Pi, `rppal` cannot identify the board and refuses to start; that
//! error, and any other (pin busy, permission denied), is turned into a start-up message naming
//! the device and its pin, so a kiosk never starts half-wired.

use rppal::gpio::{Gpio, InputPin, Level, OutputPin};

use super::patterns::{PatternPlayer, Signal};
use super::{
    BuzzPattern, Buzzer, DoorLock, DoorPull, DoorSwitch, HardwareError, LedState, LockCommand,
    StatusLed,
};

/// One GPIO controller per process, opened on first use and named after the first device.
pub(crate) struct PiGpio {
    gpio: Option<Gpio>,
}

impl PiGpio {
    pub fn new() -> PiGpio {
        PiGpio { gpio: None }
    }

    fn gpio(&mut self, device: &'static str, pin: u8) -> Result<&Gpio, HardwareError> {
        let gpio = match self.gpio.take() {
            Some(gpio) => gpio,
            None => Gpio::new().map_err(|e| gpio_error(device, pin, e))?,
        };
        Ok(self.gpio.insert(gpio))
    }

    /// An output pin, set to its inactive level before it becomes an output (no glitch).
    fn output(
        &mut self,
        device: &'static str,
        pin: u8,
        active_high: bool,
    ) -> Result<ActiveOutput, HardwareError> {
        let gpio_pin = self
            .gpio(device, pin)?
            .get(pin)
            .map_err(|e| gpio_error(device, pin, e))?;
        let mut output = if active_high {
            gpio_pin.into_output_low()
        } else {
            gpio_pin.into_output_high()
        };
        // On exit, leave the pin driven inactive rather than floating back to an input, so a
        // relay board does not see a level it might take for "active".
        output.set_reset_on_drop(false);
        Ok(ActiveOutput {
            pin: output,
            active_high,
        })
    }

    pub fn lock(&mut self, pin: u8, active_high: bool) -> Result<PiLock, HardwareError> {
        Ok(PiLock(self.output("door lock relay", pin, active_high)?))
    }

    pub fn door(
        &mut self,
        pin: u8,
        open_is_high: bool,
        pull: DoorPull,
    ) -> Result<PiDoor, HardwareError> {
        let device = "door switch";
        let gpio_pin = self
            .gpio(device, pin)?
            .get(pin)
            .map_err(|e| gpio_error(device, pin, e))?;
        let input = match pull {
            DoorPull::Up => gpio_pin.into_input_pullup(),
            DoorPull::Down => gpio_pin.into_input_pulldown(),
            DoorPull::None => gpio_pin.into_input(),
        };
        Ok(PiDoor {
            pin: input,
            open_is_high,
        })
    }

    pub fn buzzer(&mut self, pin: u8, active_high: bool) -> Result<PiBuzzer, HardwareError> {
        let mut output = self.output("buzzer", pin, active_high)?;
        let player = PatternPlayer::spawn("buzzer", move |on| output.set(on))?;
        Ok(PiBuzzer { player })
    }

    pub fn led(&mut self, pin: u8, active_high: bool) -> Result<PiLed, HardwareError> {
        let mut output = self.output("status LED", pin, active_high)?;
        let player = PatternPlayer::spawn("led", move |on| output.set(on))?;
        Ok(PiLed { player })
    }
}

/// What rppal said, as a message a person installing the kiosk can act on.
fn gpio_error(device: &'static str, pin: u8, error: rppal::gpio::Error) -> HardwareError {
    use rppal::gpio::Error;
    let detail = match error {
        Error::UnknownModel => {
            return HardwareError::NotAPi {
                device,
                pin,
                detail: "the GPIO library could not identify the board".into(),
            };
        }
        Error::PinUsed(_) => "the pin is already in use by this program".into(),
        Error::PinNotAvailable(_) => "this board has no such GPIO pin".into(),
        Error::PermissionDenied(path) => {
            format!("permission denied on {path}: run the kiosk as a user in the `gpio` group")
        }
        other => other.to_string(),
    };
    HardwareError::Gpio {
        device,
        pin,
        detail,
    }
}

/// An output pin that knows which level means "on".
struct ActiveOutput {
    pin: OutputPin,
    active_high: bool,
}

impl ActiveOutput {
    fn set(&mut self, active: bool) {
        let level = if active == self.active_high {
            Level::High
        } else {
            Level::Low
        };
        self.pin.write(level);
    }
}

/// The lock relay: active = unlocked (the relay powers the solenoid or releases the magnet).
pub(crate) struct PiLock(ActiveOutput);

impl DoorLock for PiLock {
    fn apply(&mut self, command: LockCommand) -> Result<(), HardwareError> {
        self.0.set(matches!(command, LockCommand::Unlock(_)));
        Ok(())
    }
}

/// The door switch, read level by level (the worker debounces).
pub(crate) struct PiDoor {
    pin: InputPin,
    open_is_high: bool,
}

impl DoorSwitch for PiDoor {
    fn is_open(&mut self) -> Result<bool, HardwareError> {
        Ok(self.pin.is_high() == self.open_is_high)
    }
}

/// An active buzzer (on/off) played by its own thread.
pub(crate) struct PiBuzzer {
    player: PatternPlayer,
}

impl Buzzer for PiBuzzer {
    fn play(&self, pattern: BuzzPattern) {
        self.player.play(Signal::from(pattern));
    }
}

/// The status LED, blinked by its own thread.
pub(crate) struct PiLed {
    player: PatternPlayer,
}

impl StatusLed for PiLed {
    fn show(&mut self, state: LedState) {
        self.player.play(Signal::from(state));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_pi_the_first_device_is_named_with_its_pin() {
        // This test runs on the development machine and in CI, which are not Raspberry Pis. On a
        // Pi it checks nothing (the pin opens), so it only asserts the message when it fails.
        let mut gpio = PiGpio::new();
        match gpio.lock(17, false) {
            Err(error @ HardwareError::NotAPi { .. }) => {
                let message = error.to_string();
                assert!(
                    message.starts_with("door lock relay on GPIO 17: this is not a Raspberry Pi"),
                    "{message}"
                );
            }
            Err(other) => assert!(other.to_string().contains("GPIO 17"), "{other}"),
            Ok(_) => {}
        }
    }

    #[test]
    fn rppal_errors_become_messages_that_say_what_to_do() {
        let denied = gpio_error(
            "buzzer",
            22,
            rppal::gpio::Error::PermissionDenied("/dev/gpiomem".into()),
        );
        assert_eq!(
            denied.to_string(),
            "buzzer on GPIO 22: permission denied on /dev/gpiomem: run the kiosk as a user in \
             the `gpio` group"
        );
        let used = gpio_error("status LED", 23, rppal::gpio::Error::PinUsed(23));
        assert_eq!(
            used.to_string(),
            "status LED on GPIO 23: the pin is already in use by this program"
        );
    }
}
