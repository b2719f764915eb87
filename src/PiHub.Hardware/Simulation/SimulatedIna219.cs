using System.Buffers.Binary;
using System.Device.I2c;

namespace PiHub.Hardware.Simulation;

/// <summary>
/// An INA219 in memory: answers register reads as the chip does (big-endian), with a bus voltage
/// and shunt voltage a test or a person sets. Dev mode's supply reads 5.10 V and 0.85 A.
/// </summary>
public sealed class SimulatedIna219(I2cConnectionSettings settings, double shuntOhms = 0.1) : I2cDevice
{
    private readonly object _lock = new();
    private byte _pointer;
    private double _volts = 5.10;
    private double _amps = 0.85;

    /// <summary>True to make every transfer fail as a chip gone from the bus does.</summary>
    public bool Fail { get; set; }

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings => settings;

    /// <summary>Sets what the chip measures.</summary>
    public void Set(double volts, double amps)
    {
        lock (_lock)
        {
            _volts = volts;
            _amps = amps;
        }
    }

    /// <inheritdoc />
    public override byte ReadByte() => throw new NotSupportedException("The INA219 is read in 16-bit registers.");

    /// <inheritdoc />
    public override void Read(Span<byte> buffer) => ReadRegister(buffer);

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check();
        if (buffer.Length > 0) _pointer = buffer[0];
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        ReadRegister(readBuffer);
    }

    private void ReadRegister(Span<byte> buffer)
    {
        Check();
        ushort value;
        lock (_lock)
        {
            value = _pointer switch
            {
                0x00 => 0x399F, // power-on configuration
                0x01 => (ushort)(short)Math.Round(_amps * shuntOhms / 0.000_01),
                0x02 => (ushort)(((ushort)Math.Round(_volts / 0.004) << 3) | 0x2), // CNVR set
                _ => 0,
            };
        }

        if (buffer.Length >= 2) BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
    }

    private void Check()
    {
        if (Fail) throw new IOException($"No answer from the INA219 on i2c-{settings.BusId} at 0x{settings.DeviceAddress:x2} (simulated fault).");
    }
}
