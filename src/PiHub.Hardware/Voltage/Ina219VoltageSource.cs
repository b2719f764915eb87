using System.Buffers.Binary;
using System.Device.I2c;
using PiHub.Core.Power;

namespace PiHub.Hardware.Voltage;

/// <summary>
/// An INA219 current/voltage monitor on I²C, as on most UPS HATs, read through
/// <c>System.Device.Gpio</c>'s own <see cref="I2cDevice"/>: four 16-bit registers need no driver
/// package: Iot.Device.Bindings' Ina219 instead made the linux-x64 AOT binary 27,383,496 bytes
/// instead of 21,125,368 (+6.0 MiB, nearly all UnitsNet) and brought a UnitsNet IL2075 trim warning. Bus voltage is
/// register 2 &gt;&gt; 3 in 4 mV steps; current is the shunt voltage (register 1, signed, 10 µV steps)
/// over the shunt resistance, so the calibration register is never needed nor written.
/// </summary>
public sealed class Ina219VoltageSource : IVoltageSource, IDisposable
{
    /// <summary>Register numbers of the INA219.</summary>
    internal const byte ShuntVoltageRegister = 0x01, BusVoltageRegister = 0x02;

    private readonly I2cDevice _device;
    private readonly double _shuntOhms;
    private readonly double _lowVolts;

    /// <summary>Takes ownership of <paramref name="device"/>.</summary>
    public Ina219VoltageSource(I2cDevice device, double shuntOhms, double lowVolts)
    {
        _device = device;
        _shuntOhms = shuntOhms;
        _lowVolts = lowVolts;
        // Dev mode's chip says what it is in every log line, status and attribute that names it.
        Name = $"{(device is Simulation.SimulatedIna219 ? "simulated " : "")}INA219 on i2c-{device.ConnectionSettings.BusId} at 0x{device.ConnectionSettings.DeviceAddress:x2}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool MeasuresVolts => true;

    /// <inheritdoc />
    public bool MeasuresAmps => true;

    /// <inheritdoc />
    public VoltageReading Read()
    {
        var bus = ReadRegister(BusVoltageRegister);
        var volts = (bus >> 3) * 0.004;
        var shuntVolts = (short)ReadRegister(ShuntVoltageRegister) * 0.000_01;
        var amps = _shuntOhms > 0 ? shuntVolts / _shuntOhms : (double?)null;
        return new VoltageReading(volts < _lowVolts, volts, amps);
    }

    public void Dispose() => _device.Dispose();

    private ushort ReadRegister(byte register)
    {
        Span<byte> value = stackalloc byte[2];
        _device.WriteRead([register], value);
        return BinaryPrimitives.ReadUInt16BigEndian(value);
    }
}
