using System.Buffers;
using System.IO.Compression;

namespace Gateway.WebProtocol.Binary;

/// <summary>
/// Inflates a zlib stream (RFC 1950) into a pooled buffer that may grow only up to a limit, so a decompression
/// bomb costs at most the limit before it is rejected.
/// </summary>
internal static class BoundedZlib
{
    /// <summary>
    /// Inflates <paramref name="compressed"/>. The caller returns <c>Buffer</c> to <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    public static (byte[] Buffer, int Length) Inflate(ReadOnlySpan<byte> compressed, int maxLength)
    {
        var input = ArrayPool<byte>.Shared.Rent(Math.Max(1, compressed.Length));
        compressed.CopyTo(input);
        var output = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(compressed.Length * 4L, 256, Math.Max(maxLength, 1)));
        var length = 0;
        try
        {
            using var source = new MemoryStream(input, 0, compressed.Length, writable: false);
            using var inflater = new ZLibStream(source, CompressionMode.Decompress);
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                if (length == Math.Min(output.Length, maxLength))
                {
                    if (length == maxLength)
                    {
                        // Full at the limit: one more byte means the stream is too big.
                        if (inflater.Read(probe) != 0)
                        {
                            throw new WireFormatException($"compressed node inflates beyond {maxLength} bytes");
                        }

                        break;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(output.Length * 2L, maxLength));
                    output.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(output);
                    output = larger;
                }

                var read = inflater.Read(output, length, Math.Min(output.Length, maxLength) - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            var result = (output, length);
            output = null!;
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // Corrupt streams surface as InvalidDataException or as ZLibException (an IOException) from the native code.
            throw new WireFormatException("invalid zlib data", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }
}
