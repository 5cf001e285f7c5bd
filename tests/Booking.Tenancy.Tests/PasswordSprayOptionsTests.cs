using Booking.BuildingBlocks.Security;

namespace Booking.Tenancy.Tests;

/// <summary>
/// Decision 273: a password-spraying cap that cannot work (no failure allowed, an empty window or lockout) is refused with
/// the setting's name when the options are read, not met as a 500 at every sign-in.
/// </summary>
public sealed class PasswordSprayOptionsTests
{
    [Fact]
    public void The_defaults_and_any_workable_numbers_are_kept()
    {
        var defaults = new PasswordSprayOptions();
        Assert.Same(defaults, defaults.Checked());
        var one = new PasswordSprayOptions { MaxFailures = 1, Window = TimeSpan.FromSeconds(1), Lockout = TimeSpan.FromSeconds(1) };
        Assert.Same(one, one.Checked());
    }

    [Theory]
    [InlineData(0, 900, 900, "PasswordSpray:MaxFailures is 0")]
    [InlineData(-3, 900, 900, "PasswordSpray:MaxFailures is -3")]
    [InlineData(30, 0, 900, "PasswordSpray:Window")]
    [InlineData(30, 900, -1, "PasswordSpray:Lockout")]
    public void Numbers_that_cannot_work_name_their_setting(int maxFailures, int windowSeconds, int lockoutSeconds, string said)
    {
        var options = new PasswordSprayOptions
        {
            MaxFailures = maxFailures, Window = TimeSpan.FromSeconds(windowSeconds), Lockout = TimeSpan.FromSeconds(lockoutSeconds),
        };
        var error = Assert.Throws<InvalidOperationException>(options.Checked);
        Assert.StartsWith(said, error.Message, StringComparison.Ordinal);
    }
}
