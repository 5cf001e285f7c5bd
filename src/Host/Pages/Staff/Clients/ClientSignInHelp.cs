using Booking.Tenancy.Contracts;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>
/// What the client forms say about signing in, from how clients can sign in now (Setup → Client Portal): a mobile or an
/// email only lets a client in while that way of signing in is on, so the help never promises phone sign-in while it is off.
/// </summary>
public static class ClientSignInHelp
{
    /// <summary>The Add client form's note on how the client will sign in.</summary>
    public static string ForAdding(PortalSignInMethods methods) => (methods.Email, methods.Phone) switch
    {
        (true, true) => "They can sign in by phone with the mobile you enter (it is on file), or set a password with \"Forgot password\" for the email.",
        (true, false) => "They can set a password with \"Forgot password\" for the email you enter. Phone sign-in is off (Setup → Client Portal), so a client with only a mobile cannot sign in to the portal.",
        (false, true) => "They can sign in by phone with the mobile you enter (it is on file). Email sign-in is off (Setup → Client Portal), so a client with only an email cannot sign in to the portal.",
        _ => "Clients cannot sign in to the portal at the moment (Setup → Client Portal); you can still book for them.",
    };

    /// <summary>The Edit details form's note on what the email and mobile mean for signing in.</summary>
    public static string ForEditing(PortalSignInMethods methods) => (methods.Email, methods.Phone) switch
    {
        (true, true) => "The email is the one the client signs in with: changing or removing it also removes their password and signs them out everywhere (they set a new password with \"Forgot password\" at the new email). A mobile you enter is on file for phone sign-in.",
        (true, false) => "The email is the one the client signs in with: changing or removing it also removes their password and signs them out everywhere (they set a new password with \"Forgot password\" at the new email). Phone sign-in is off (Setup → Client Portal), so a client with only a mobile cannot sign in to the portal.",
        (false, true) => "Email sign-in is off (Setup → Client Portal), so the client signs in only by phone, with a mobile on file: a client without one cannot sign in to the portal. A mobile you enter is on file for phone sign-in.",
        _ => "Clients cannot sign in to the portal at the moment (Setup → Client Portal); you can still book for them.",
    };

    /// <summary>The email field's hint: only while email sign-in is off, when the email is for emails alone.</summary>
    public static string? EmailHint(PortalSignInMethods methods) =>
        methods.Email || !methods.Phone ? null : "Email sign-in is off (Setup → Client Portal), so the client cannot sign in with it; emails still go to it.";

    /// <summary>The mobile field's hint after how to write the number.</summary>
    public static string MobileHint(PortalSignInMethods methods) =>
        methods.Phone ? "The client can sign in with it by phone." : "Phone sign-in is off (Setup → Client Portal), so the client cannot sign in with it.";
}
