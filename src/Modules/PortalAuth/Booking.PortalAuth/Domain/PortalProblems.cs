using Booking.BuildingBlocks.Problems;

namespace Booking.PortalAuth.Domain;

public static class PortalProblems
{
    public static ProblemException NotAcceptingNewClients() =>
        new(ProblemKinds.NotAcceptingNewClients, 403, "Not taking new clients", "This business is not taking new clients online.");

    public static ProblemException MethodOff(string method) =>
        new(ProblemKinds.Forbidden, 403, "Sign-in method not offered", $"This business does not offer sign-in by {method}.");

    public static ProblemException AttemptExpired() =>
        new(ProblemKinds.AttemptExpired, 410, "Code expired", "This sign-in has expired or was used. Ask for a new code.");

    public static ProblemException InvalidCode(int attemptsLeft)
    {
        var problem = new ProblemException(ProblemKinds.InvalidCode, 400, "Wrong code", "That code is not right.");
        problem.Extensions["attemptsLeft"] = attemptsLeft;
        return problem;
    }
}
