using Booking.BuildingBlocks.Problems;

namespace Booking.PortalAuth.Domain;

public static class PortalProblems
{
    public static ProblemException NotAcceptingNewClients() =>
        new(ProblemKinds.NotAcceptingNewClients, 403, "Not taking new clients", "This business is not taking new clients online.");

    public static ProblemException MethodOff(string method) =>
        new(ProblemKinds.Forbidden, 403, "Sign-in method not offered", $"This business does not offer sign-in by {method}.");

    /// <summary>An email address another client of the business has; <paramref name="then"/> says what to do instead.</summary>
    public static FluentValidation.ValidationException EmailTaken(string then) =>
        ProblemException.Invalid("email", $"This email address is already registered; {then}.");

    /// <summary>What a mobile-taken error tells the client to do by default.</summary>
    public const string SignInWithIt = "sign in with it";

    /// <summary>A mobile another client of the business has; <paramref name="then"/> says what to do instead.</summary>
    public static FluentValidation.ValidationException MobileTaken(string then = SignInWithIt) =>
        ProblemException.Invalid("mobile", $"This mobile number is already registered; {then}.");

    public static ProblemException AttemptExpired() =>
        new(ProblemKinds.AttemptExpired, 410, "Code expired", "This sign-in has expired or was used. Ask for a new code.");

    public static ProblemException InvalidCode(int attemptsLeft)
    {
        var problem = new ProblemException(ProblemKinds.InvalidCode, 400, "Wrong code", "That code is not right.");
        problem.Extensions["attemptsLeft"] = attemptsLeft;
        return problem;
    }
}
