namespace PassTrack.Kiosk.Hardware.Sound;

/// <summary>Where the buzzer is: the hardware PWM chip and channel (GPIO18 is PWM0 channel 0 with the pwm overlay).</summary>
/// <param name="Volume">The duty cycle while a note sounds, 0 to 0.5; a piezo is loudest at 0.5.</param>
public sealed record SoundOptions(int PwmChip = 0, int PwmChannel = 0, double Volume = 0.5);
