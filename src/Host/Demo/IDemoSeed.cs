namespace Booking.Host.Demo;

/// <summary>
/// A module's part of the Development demo business. Runs once, right after the demo business is created,
/// inside a scope whose tenant is the demo business; use the module's own commands.
/// </summary>
public interface IDemoSeed
{
    /// <summary>Lower runs first (diaries before services that name them).</summary>
    int Order { get; }

    Task SeedAsync(CancellationToken cancellationToken);

    /// <summary>Lines for the start-up banner (demo credentials and the like).</summary>
    IEnumerable<string> Describe() => [];
}
