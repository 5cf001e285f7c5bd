namespace Booking.BuildingBlocks.Caching;

/// <summary>
/// A PostgreSQL notification channel besides the reference data's that every instance listens on, over the one
/// connection <see cref="ReferenceDataInvalidationListener"/> keeps for <c>LISTEN</c> (no connection of its own). Its
/// notices are sent with <c>pg_notify(channel, payload)</c>, and delivered to every listening instance (the sender's
/// included) when the sender's transaction commits.
/// </summary>
public interface IDatabaseNotices
{
    /// <summary>The channel's name (a plain identifier: it is written into <c>LISTEN</c> as it is).</summary>
    string Channel { get; }

    /// <summary>A notice arrived on <see cref="Channel"/>. Runs on the listener's connection: keep it short and let it not throw.</summary>
    void Apply(string payload);

    /// <summary>
    /// Notices may have been missed: the listening connection broke, or was just (re)made. Act as if one had arrived.
    /// </summary>
    void Missed();
}
