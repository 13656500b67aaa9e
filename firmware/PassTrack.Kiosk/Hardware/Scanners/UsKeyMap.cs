namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>
/// Linux key codes (linux/input-event-codes.h) to the characters a US keyboard layout gives them, unshifted and shifted.
/// Keypad keys type the same either way (scanners send them with Num Lock on).
/// </summary>
internal static class UsKeyMap
{
    public const int LeftShift = 42;
    public const int RightShift = 54;
    public const int CapsLock = 58;
    public const int Enter = 28;
    public const int KeypadEnter = 96;

    private static readonly Dictionary<int, (char Plain, char Shifted)> Keys = Build();

    public static bool TryGetChar(int code, bool shift, bool capsLock, out char c)
    {
        if (!Keys.TryGetValue(code, out var key))
        {
            c = default;
            return false;
        }

        // Caps Lock only changes letters; Shift with Caps Lock gives lower case again.
        var upper = char.IsAsciiLetter(key.Plain) ? shift != capsLock : shift;
        c = upper ? key.Shifted : key.Plain;
        return true;
    }

    private static Dictionary<int, (char, char)> Build()
    {
        var keys = new Dictionary<int, (char, char)>();
        void Row(int firstCode, string plain, string shifted)
        {
            for (var i = 0; i < plain.Length; i++)
            {
                keys[firstCode + i] = (plain[i], shifted[i]);
            }
        }

        Row(2, "1234567890-=", "!@#$%^&*()_+");
        Row(16, "qwertyuiop[]", "QWERTYUIOP{}");
        Row(30, "asdfghjkl;'`", "ASDFGHJKL:\"~");
        Row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?");
        Row(55, "*", "*");
        Row(57, " ", " ");
        Row(71, "789-456+1230.", "789-456+1230.");
        Row(86, "\\", "|");
        Row(98, "/", "/");
        Row(117, "=", "=");
        return keys;
    }
}
