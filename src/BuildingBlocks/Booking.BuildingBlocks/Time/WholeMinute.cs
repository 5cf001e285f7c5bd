namespace Booking.BuildingBlocks.Time;

/// <summary>
/// Times given to the API for appointments and busy blocks are whole minutes: no seconds, no fractions. PostgreSQL keeps
/// microseconds, so a fraction was answered one way and stored another, and an end at 10:30:00.12 cost the 10:30 slot.
/// Refused (400 naming the field) rather than truncated, so what is answered is what is stored.
/// </summary>
public static class WholeMinute
{
    public const string StartMessage = "Use a whole minute, e.g. 10:00 (no seconds).";

    public const string EndMessage = "Use a whole minute for the end, e.g. 11:00 (no seconds).";

    /// <summary>True when absent (its own rule says so) or on a whole minute (offsets are whole minutes, so the local clock tells).</summary>
    public static bool Allows(DateTimeOffset? at) => at is not { } value || value.Ticks % TimeSpan.TicksPerMinute == 0;
}
