using Booking.Tenancy.Contracts;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// What the portal's sign-in pages say while the business offers only one way to sign in: that the other is off, how to
/// sign in instead, and what a client who used the other way does (ask the business to put the missing email or mobile on
/// their account). The staff side's counterpart is <c>ClientSignInHelp</c>; Setup → Client Portal asks first and counts
/// the clients it shuts out.
/// </summary>
public static class PortalSignInHelp
{
    /// <summary>
    /// Phone sign-in off, email on: for the email sign-in page and the landing page, only while clients who could sign in
    /// only by phone are left (<see cref="PortalPageModel.PhoneClientsLeftOutAsync"/>); to a business that never offered
    /// it (an email-only nail bar) it spoke of a way in nobody had, as <see cref="EmailOff"/> once did.
    /// </summary>
    public static string PhoneOff(string business) =>
        $"Signing in with your mobile and a code by SMS is not offered at the moment: sign in with your email and password. If you used to sign in with your mobile, ask {business} to add your email address to your account, then choose \"Forgot your password?\" to set a password.";

    /// <summary>
    /// Email sign-in off, phone on: for the phone sign-in page and the landing page, only while clients who signed in
    /// only with an email are left (<see cref="PortalPageModel.EmailClientsLeftOutAsync"/>); to anyone else it spoke of a
    /// way in they never had.
    /// </summary>
    public static string EmailOff(string business) =>
        $"Signing in with your email and password is not offered at the moment: sign in with your mobile and a code by SMS. If you used to sign in with your email and your mobile is not on your account, ask {business} to add it first, so you keep your appointments and details.";

    /// <summary>
    /// Email sign-in off, phone on, on the register page: a new visitor has no email sign-in to miss, so they are pointed
    /// to starting as a new client with their mobile.
    /// </summary>
    public static string EmailOffForNewVisitor(string business) =>
        $"{business} does not offer accounts with an email and password at the moment. New clients start with their mobile number: we text you a code, then ask for your details.";

    /// <summary>
    /// The note for the method that is off while the other is on; null while both are on (or both off), and for email
    /// sign-in off while no client is left who signed in only with an email (<paramref name="emailClientsLeftOut"/>,
    /// <see cref="PortalPageModel.EmailClientsLeftOutAsync"/>): a business that never offered it has nobody to tell
    /// "if you used to sign in with your email", and its landing has the mobile's button already. Phone sign-in off the
    /// same way, with <paramref name="phoneClientsLeftOut"/>.
    /// </summary>
    public static string? ForLanding(string business, PortalSignInMethods methods, bool emailClientsLeftOut, bool phoneClientsLeftOut) => (methods.Email, methods.Phone) switch
    {
        (true, false) when phoneClientsLeftOut => PhoneOff(business),
        (false, true) when emailClientsLeftOut => EmailOff(business),
        _ => null,
    };
}
