namespace Booking.BuildingBlocks.Security;

/// <summary>
/// The cap on failed password sign-ins per client address (<c>ClientAddress.ClientIp</c>) across every address tried
/// and every business (decision 272): <see cref="PasswordThrottle"/> stops guessing one address's password, this stops
/// one client trying a common password against thousands of addresses. The client portal's sign-ins of all businesses
/// count together, staff sign-ins of all businesses together, apart from the portal's. Once an address has
/// <see cref="PasswordSprayOptions.MaxFailures"/> failures in the window, every password sign-in from it is refused
/// (429 rate-limited, Retry-After, <see cref="PasswordSprayRefusal.Text"/>) until the lockout after its last failure ends,
/// even with the right password; a success takes no failure away. A try presenting a valid device cookie for the
/// address it names (<see cref="TrustedDevices"/>) is neither counted nor refused here: its device's own count holds it,
/// and one network's guesses must not lock out the people behind it who signed in there before.
/// Implemented by PortalAuth (the table <c>portalauth.ip_password_failures</c>, in PostgreSQL like the per-address
/// count, so the cap holds across app instances); Tenancy's staff sign-in uses it through this interface.
/// </summary>
public interface IPasswordSprayCap
{
    /// <summary>
    /// Writes the try down as a failure of <paramref name="ip"/> in <paramref name="area"/> (committed, so tries at the
    /// same moment count it) before the password is checked, then refuses it (429; its row taken off again, so a refused
    /// try does not stretch the lock) if the address already has the maximum of other failures in the window. Returns
    /// the row, for <see cref="NotAFailureAsync"/> when the password turns out right or was never checked.
    /// </summary>
    Task<Guid> BeginTryAsync(string area, string ip, CancellationToken cancellationToken);

    /// <summary>Takes the try's own row off again: the password was right, or another limit refused it unchecked.</summary>
    Task NotAFailureAsync(Guid tryId, CancellationToken cancellationToken);
}

/// <summary>The order both sign-ins keep: the client address's count first, then the address's lockout.</summary>
public static class PasswordSprayTries
{
    /// <summary>
    /// Runs the address's lockout check after the client address's try was written down; when the lockout refuses, the
    /// client address's row is taken off again (no password was checked), and the refusal goes on.
    /// </summary>
    public static async Task<PasswordTry> ThenAsync(IPasswordSprayCap spray, Guid? sprayTry, Func<Task<PasswordTry>> addressTry, CancellationToken cancellationToken)
    {
        try
        {
            return await addressTry();
        }
        catch when (sprayTry is { } counted)
        {
            await spray.NotAFailureAsync(counted, cancellationToken);
            throw;
        }
    }
}

/// <summary>
/// What the cap's refusal says (the problem's <c>detail</c>; pages add "Try again in N minutes." from its Retry-After):
/// the failures were the network's, not this address's (decision 277), so the per-address lockout's words
/// (<see cref="PasswordThrottle.SignInPaused"/>) would be untrue, and would send someone whose password is fine hunting for
/// a mistake in it.
/// </summary>
public static class PasswordSprayRefusal
{
    public const string Text = "Too many failed sign-ins from this network. Password sign-in from it is paused.";
}

/// <summary>Which sign-in a failure counts for: the client portal's (every business together) or staff's.</summary>
public static class PasswordSprayAreas
{
    public const string Portal = "portal", Staff = "staff";
}

/// <summary>Configuration section <c>PasswordSpray</c>.</summary>
public sealed class PasswordSprayOptions
{
    public const string Section = "PasswordSpray";

    /// <summary>Failed password sign-ins one client address may make in <see cref="Window"/> (per area) before it is refused.</summary>
    public int MaxFailures { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long after the last counted failure the address stays refused.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>These options, or an error naming the setting that cannot work (0 failures would refuse every sign-in).</summary>
    public PasswordSprayOptions Checked() =>
        MaxFailures < 1 ? throw new InvalidOperationException($"{Section}:MaxFailures is {MaxFailures}; allow at least 1 failure.")
        : Window <= TimeSpan.Zero ? throw new InvalidOperationException($"{Section}:Window is {Window}; it must be longer than zero.")
        : Lockout <= TimeSpan.Zero ? throw new InvalidOperationException($"{Section}:Lockout is {Lockout}; it must be longer than zero.")
        : this;
}
