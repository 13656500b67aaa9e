namespace PassTrack.Kiosk.Hardware.CardReader;

/// <summary>MFRC522 register addresses (data sheet chapter 9) used by the driver.</summary>
internal static class Reg
{
    public const byte Command = 0x01;
    public const byte ComIrq = 0x04;
    public const byte DivIrq = 0x05;
    public const byte Error = 0x06;
    public const byte FifoData = 0x09;
    public const byte FifoLevel = 0x0A;
    public const byte Control = 0x0C;
    public const byte BitFraming = 0x0D;
    public const byte Coll = 0x0E;
    public const byte Mode = 0x11;
    public const byte TxMode = 0x12;
    public const byte RxMode = 0x13;
    public const byte TxControl = 0x14;
    public const byte TxAsk = 0x15;
    public const byte CrcResultMsb = 0x21;
    public const byte CrcResultLsb = 0x22;
    public const byte TMode = 0x2A;
    public const byte TPrescaler = 0x2B;
    public const byte TReloadHigh = 0x2C;
    public const byte TReloadLow = 0x2D;
    public const byte Version = 0x37;
}

/// <summary>The 4-bit commands written to CommandReg.</summary>
internal static class Cmd
{
    public const byte Idle = 0x0;
    public const byte CalcCrc = 0x3;
    public const byte Transmit = 0x4;
    public const byte Transceive = 0xC;
    public const byte SoftReset = 0xF;

    /// <summary>CommandReg bit: reads 1 while the chip is (waking from) power-down.</summary>
    public const byte PowerDown = 0x10;
}

/// <summary>Bits of ComIrqReg, DivIrqReg, ErrorReg, CollReg and BitFramingReg.</summary>
internal static class Bits
{
    public const byte TxIrq = 0x40;
    public const byte RxIrq = 0x20;
    public const byte IdleIrq = 0x10;
    public const byte ErrIrq = 0x02;
    public const byte TimerIrq = 0x01;
    public const byte AllComIrqs = 0x7F;

    public const byte CrcIrq = 0x04;

    public const byte BufferOvfl = 0x10;
    public const byte CollErr = 0x08;
    public const byte CrcErr = 0x04;
    public const byte ParityErr = 0x02;
    public const byte ProtocolErr = 0x01;

    public const byte CollPosNotValid = 0x20;
    public const byte CollPosMask = 0x1F;

    public const byte StartSend = 0x80;
    public const byte FlushBuffer = 0x80;
    public const byte RxLastBitsMask = 0x07;
    public const byte AntennaOn = 0x03;
}

/// <summary>What the driver writes at initialisation, and reads back to see the chip is still configured.</summary>
internal static class Setup
{
    /// <summary>TAuto: the timer starts at the end of every transmission, so a silent card times out in hardware.</summary>
    public const byte TMode = 0x80;

    /// <summary>13.56 MHz / (2 * 0xA9 + 1) = 40 kHz: one timer tick is 25 µs.</summary>
    public const byte TPrescaler = 0xA9;

    /// <summary>
    /// 200 ticks of 25 µs: a card that has not started answering after ~5 ms is not there. Every exchange the kiosk
    /// makes (REQA/WUPA, anticollision, SELECT) is answered about 90 µs after it ends (ISO 14443-3 frame delay time),
    /// so 5 ms is ample, and an empty field (REQA, then WUPA) costs ~10 ms a poll instead of ~50 ms: the 50 ms budget
    /// from card to beep holds wherever in a poll the card arrives.
    /// </summary>
    public const ushort TReload = 200;

    /// <summary>Force100ASK: type A cards need 100 % ASK modulation.</summary>
    public const byte TxAsk = 0x40;

    /// <summary>TxWaitRF, MFIN active high, CRC coprocessor preset 0x6363 (ISO/IEC 14443-3 CRC_A).</summary>
    public const byte Mode = 0x3D;

    /// <summary>ValuesAfterColl = 0: bits received after a collision are cleared (bitwise anticollision).</summary>
    public const byte Coll = 0x00;
}
