using System.Numerics;
using Field = Org.BouncyCastle.Math.EC.Rfc7748.X25519Field;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Points of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z,
/// xy = T/Z, over BouncyCastle's field arithmetic. XEdDSA needs A = aB for the raw clamped scalar a (not a
/// hashed seed) together with its sign bit, which BouncyCastle's Ed25519 API does not expose.
/// Field elements are kept within the bounds X25519Field.Mul accepts: a Mul/Sqr output, or the sum or
/// difference of two of them; anything wider is carried first.
/// </summary>
internal sealed class EdwardsPoint
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly int[] TwoD = FieldFromInteger(2 * EdwardsD());
    private static readonly EdwardsPoint Base = CreateBase();

    private readonly int[] x = Field.Create();
    private readonly int[] y = Field.Create();
    private readonly int[] z = Field.Create();
    private readonly int[] t = Field.Create();

    private EdwardsPoint()
    {
    }

    /// <summary>aB for a little-endian scalar of up to 255 bits, in time independent of the scalar's bits.</summary>
    public static EdwardsPoint MultiplyBase(ReadOnlySpan<byte> scalar32)
    {
        var accumulator = Identity();
        var sum = new EdwardsPoint();
        var scratch = new Scratch();
        for (var bit = 254; bit >= 0; bit--)
        {
            Double(accumulator, accumulator, scratch);
            Add(accumulator, Base, sum, scratch);
            var take = -((scalar32[bit >> 3] >> (bit & 7)) & 1); // all ones or zero: a mask for CMov
            Field.CMov(take, sum.x, 0, accumulator.x, 0);
            Field.CMov(take, sum.y, 0, accumulator.y, 0);
            Field.CMov(take, sum.z, 0, accumulator.z, 0);
            Field.CMov(take, sum.t, 0, accumulator.t, 0);
        }

        return accumulator;
    }

    /// <summary>The RFC 8032 encoding: y little-endian with the low bit of x in bit 255.</summary>
    public void Encode(Span<byte> destination32)
    {
        var zInverse = Field.Create();
        var affineX = Field.Create();
        var affineY = Field.Create();
        Field.Inv(z, zInverse);
        Field.Mul(x, zInverse, affineX);
        Field.Mul(y, zInverse, affineY);
        Field.Normalize(affineX);
        Field.Normalize(affineY);
        Field.Encode(affineY, destination32);
        Span<byte> xBytes = stackalloc byte[32];
        Field.Encode(affineX, xBytes);
        destination32[31] |= (byte)((xBytes[0] & 1) << 7);
    }

    /// <summary>
    /// Edwards y = (u - 1) / (u + 1) for a Montgomery u (top bit ignored, as curve25519-js does). False for
    /// u = -1, which has no Edwards image.
    /// </summary>
    public static bool MontgomeryToEdwardsY(ReadOnlySpan<byte> u32, Span<byte> y32)
    {
        var u = Field.Create();
        Field.Decode255(u32, u);
        var numerator = Field.Create();
        var denominator = Field.Create();
        Field.Copy(u, numerator);
        Field.SubOne(numerator);
        Field.Copy(u, denominator);
        Field.AddOne(denominator);
        Field.Normalize(denominator);
        if (Field.IsZeroVar(denominator))
        {
            return false;
        }

        Field.InvVar(denominator, denominator);
        Field.Mul(numerator, denominator, numerator);
        Field.Normalize(numerator);
        Field.Encode(numerator, y32);
        return true;
    }

    private static EdwardsPoint Identity()
    {
        var point = new EdwardsPoint();
        Field.One(point.y);
        Field.One(point.z);
        return point;
    }

    // add-2008-hwcd-3 for a = -1; complete on edwards25519, so it also handles the identity and P + P.
    private static void Add(EdwardsPoint p, EdwardsPoint q, EdwardsPoint result, Scratch s)
    {
        Field.Sub(p.y, p.x, s.A);
        Field.Sub(q.y, q.x, s.B);
        Field.Mul(s.A, s.B, s.A);
        Field.Add(p.y, p.x, s.B);
        Field.Add(q.y, q.x, s.C);
        Field.Mul(s.B, s.C, s.B);
        Field.Mul(p.t, q.t, s.C);
        Field.Mul(s.C, TwoD, s.C);
        Field.Mul(p.z, q.z, s.D);
        Field.Add(s.D, s.D, s.D);
        Field.Sub(s.B, s.A, s.E);
        Field.Sub(s.D, s.C, s.F);
        Field.Carry(s.F);
        Field.Add(s.D, s.C, s.G);
        Field.Carry(s.G);
        Field.Add(s.B, s.A, s.H);
        Field.Mul(s.E, s.F, result.x);
        Field.Mul(s.G, s.H, result.y);
        Field.Mul(s.E, s.H, result.t);
        Field.Mul(s.F, s.G, result.z);
    }

    // dbl-2008-hwcd for a = -1.
    private static void Double(EdwardsPoint p, EdwardsPoint result, Scratch s)
    {
        Field.Sqr(p.x, s.A);
        Field.Sqr(p.y, s.B);
        Field.Sqr(p.z, s.C);
        Field.Add(s.C, s.C, s.C);
        Field.Add(p.x, p.y, s.E);
        Field.Sqr(s.E, s.E);
        Field.Sub(s.E, s.A, s.E);
        Field.Sub(s.E, s.B, s.E);
        Field.Carry(s.E);
        Field.Sub(s.B, s.A, s.G);
        Field.Sub(s.G, s.C, s.F);
        Field.Carry(s.F);
        Field.Add(s.A, s.B, s.H);
        Field.Negate(s.H, s.H);
        Field.Mul(s.E, s.F, result.x);
        Field.Mul(s.G, s.H, result.y);
        Field.Mul(s.E, s.H, result.t);
        Field.Mul(s.F, s.G, result.z);
    }

    private static BigInteger EdwardsD() =>
        (P - 121665) * BigInteger.ModPow(121666, P - 2, P) % P;

    private static EdwardsPoint CreateBase()
    {
        // y = 4/5, x the even root: the standard base point of RFC 8032.
        var baseY = 4 * BigInteger.ModPow(5, P - 2, P) % P;
        var baseX = BigInteger.Parse(
            "15112221349535400772501151409588531511454012693041857206046113283949847762202",
            System.Globalization.CultureInfo.InvariantCulture);
        var point = new EdwardsPoint();
        Field.Copy(FieldFromInteger(baseX), point.x);
        Field.Copy(FieldFromInteger(baseY), point.y);
        Field.One(point.z);
        Field.Copy(FieldFromInteger(baseX * baseY % P), point.t);
        return point;
    }

    private static int[] FieldFromInteger(BigInteger value)
    {
        var bytes = new byte[32];
        (value % P).TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        var element = Field.Create();
        Field.Decode255(bytes, element);
        return element;
    }

    private sealed class Scratch
    {
        public readonly int[] A = Field.Create();
        public readonly int[] B = Field.Create();
        public readonly int[] C = Field.Create();
        public readonly int[] D = Field.Create();
        public readonly int[] E = Field.Create();
        public readonly int[] F = Field.Create();
        public readonly int[] G = Field.Create();
        public readonly int[] H = Field.Create();
    }
}
