package dev.rxrpc.spring.xdr;

import dev.rxrpc.spring.annotation.XdrArray;
import dev.rxrpc.spring.annotation.XdrOpaque;
import dev.rxrpc.spring.annotation.XdrString;
import dev.rxrpc.spring.annotation.XdrUnsigned;
import dev.rxrpc.xdr.XdrException;
import dev.rxrpc.xdr.XdrReader;
import dev.rxrpc.xdr.XdrWriter;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Array;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link XdrCodec}s from Java types and the bound annotations on them ({@link XdrString}, {@link XdrOpaque},
 * {@link XdrArray}, {@link XdrUnsigned}). The mapping: {@code int}/{@code Integer} (also {@code short}, {@code byte},
 * which rxgen widens to int) = int; {@code long} = hyper; {@code boolean} = bool; {@code String} = string (ISO-8859-1);
 * {@code byte[]} = opaque; {@code List<T>} and {@code T[]} = variable (or fixed) array; {@code record} = struct, its
 * components in declaration order; {@code Optional<T>} = optional data ({@code T *name}).
 *
 * <p>Not thread-safe while building (one instance per startup); the codecs it returns are.
 */
public final class XdrCodecs {

    private final Map<Class<?>, XdrCodec<?>> structs = new HashMap<>();

    /**
     * A codec for {@code type}, with {@code declaration}'s annotations as bounds where the type itself carries none.
     *
     * @param where what is being bound, for the exception
     * @throws XdrBindingException if the type has no XDR mapping
     */
    public XdrCodec<Object> codec(AnnotatedType type, AnnotatedElement declaration, String where) {
        @SuppressWarnings("unchecked")
        XdrCodec<Object> c = (XdrCodec<Object>) build(type, declaration, where);
        return c;
    }

    private XdrCodec<?> build(AnnotatedType at, AnnotatedElement decl, String where) {
        Type t = at.getType();
        Class<?> raw = rawClass(t, where);
        if (raw == int.class || raw == Integer.class) {
            return new IntCodec(find(at, decl, XdrUnsigned.class) != null);
        }
        if (raw == short.class || raw == Short.class) {
            return new Simple<Short>("short", in -> (short) in.readInt(), (out, v) -> out.writeInt(v));
        }
        if (raw == byte.class || raw == Byte.class) {
            return new Simple<Byte>("char", in -> (byte) in.readInt(), (out, v) -> out.writeInt(v));
        }
        if (raw == long.class || raw == Long.class) {
            return find(at, decl, XdrUnsigned.class) != null
                    ? new Simple<Long>("unsigned hyper", XdrReader::readUnsignedHyper, XdrWriter::writeUnsignedHyper)
                    : new Simple<Long>("hyper", XdrReader::readHyper, XdrWriter::writeHyper);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return new Simple<Boolean>("bool", XdrReader::readBool, XdrWriter::writeBool);
        }
        if (raw == String.class) {
            XdrString s = find(at, decl, XdrString.class);
            int max = s == null ? Integer.MAX_VALUE : s.max();
            requireBound(max, where, "@XdrString(max)");
            return new Simple<String>(
                    "string<" + bound(max) + ">", in -> in.readString(max), (out, v) -> out.writeString(v, max));
        }
        if (raw == byte[].class) {
            XdrOpaque o = find(at, decl, XdrOpaque.class);
            if (o != null && o.fixed() >= 0) {
                int n = o.fixed();
                return new Simple<byte[]>(
                        "opaque[" + n + "]", in -> in.readFixedOpaque(n), (out, v) -> out.writeFixedOpaque(v, n));
            }
            int max = o == null ? Integer.MAX_VALUE : o.max();
            requireBound(max, where, "@XdrOpaque(max)");
            return new Simple<byte[]>(
                    "opaque<" + bound(max) + ">",
                    in -> in.readVariableOpaque(max),
                    (out, v) -> out.writeVariableOpaque(v, max));
        }
        if (raw == Optional.class) {
            AnnotatedType arg = typeArgument(at, where);
            XdrCodec<Object> element = codec(arg, decl, where);
            return new OptionalCodec(element);
        }
        if (raw == List.class) {
            XdrArray a = find(at, decl, XdrArray.class);
            AnnotatedType arg = typeArgument(at, where);
            return new ListCodec(codec(arg, null, where + " (element)"), a, where);
        }
        if (raw.isArray()) {
            XdrArray a = find(at, decl, XdrArray.class);
            AnnotatedType component = at instanceof AnnotatedArrayType aat
                    ? aat.getAnnotatedGenericComponentType()
                    : annotatedPlain(raw.getComponentType());
            XdrCodec<Object> element = codec(component, null, where + " (element)");
            return new ArrayCodec(raw.getComponentType(), new ListCodec(element, a, where));
        }
        if (raw.isRecord()) {
            return struct(raw, where);
        }
        throw new XdrBindingException(
                where,
                raw.getName() + " has no XDR mapping (use int, long, boolean, String, byte[], List, arrays, records or"
                        + " Optional)");
    }

    private XdrCodec<?> struct(Class<?> type, String where) {
        XdrCodec<?> known = structs.get(type);
        if (known != null) {
            return known;
        }
        StructCodec codec = new StructCodec(type.getSimpleName());
        structs.put(type, codec); // before the components: a record may refer to itself through Optional or List
        RecordComponent[] rc = type.getRecordComponents();
        List<XdrCodec<Object>> fields = new ArrayList<>();
        List<MethodHandle> accessors = new ArrayList<>();
        Class<?>[] types = new Class<?>[rc.length];
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            for (int i = 0; i < rc.length; i++) {
                fields.add(codec(
                        rc[i].getAnnotatedType(),
                        rc[i],
                        "component " + rc[i].getName() + " of record " + type.getSimpleName() + " (" + where + ")"));
                types[i] = rc[i].getType();
                accessors.add(lookup.unreflect(rc[i].getAccessor()));
            }
            MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, types));
            codec.init(fields, accessors, ctor);
        } catch (ReflectiveOperationException e) {
            structs.remove(type);
            throw new XdrBindingException(where, "record " + type.getName() + " must be public: " + e.getMessage());
        }
        return codec;
    }

    private static <A extends Annotation> A find(AnnotatedType at, AnnotatedElement decl, Class<A> a) {
        A found = at.getAnnotation(a);
        if (found == null && decl != null) {
            found = decl.getAnnotation(a);
        }
        return found;
    }

    private static void requireBound(int max, String where, String what) {
        if (max < 0) {
            throw new XdrBindingException(where, what + " must not be negative: " + max);
        }
    }

    private static String bound(int max) {
        return max == Integer.MAX_VALUE ? "" : Integer.toString(max);
    }

    private static AnnotatedType typeArgument(AnnotatedType at, String where) {
        if (at instanceof AnnotatedParameterizedType p) {
            return p.getAnnotatedActualTypeArguments()[0];
        }
        throw new XdrBindingException(where, at.getType().getTypeName() + " needs a type argument");
    }

    private static Class<?> rawClass(Type t, String where) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        throw new XdrBindingException(
                where, t.getTypeName() + " has no XDR mapping (type variables and wildcards" + " cannot be bound)");
    }

    private static AnnotatedType annotatedPlain(Class<?> c) {
        return new AnnotatedType() {
            @Override
            public Type getType() {
                return c;
            }

            @Override
            public <T extends Annotation> T getAnnotation(Class<T> annotationClass) {
                return null;
            }

            @Override
            public Annotation[] getAnnotations() {
                return new Annotation[0];
            }

            @Override
            public Annotation[] getDeclaredAnnotations() {
                return new Annotation[0];
            }
        };
    }

    // ---------------------------------------------------------------- codecs

    @FunctionalInterface
    private interface Reader<T> {
        T read(XdrReader in) throws XdrException;
    }

    private record Simple<T>(String xdrType, Reader<T> reader, XdrWriter.ElementWriter<T> writer)
            implements XdrCodec<T> {
        @Override
        public T read(XdrReader in) throws XdrException {
            return reader.read(in);
        }

        @Override
        public void write(XdrWriter out, T value) {
            if (value == null) {
                throw new IllegalArgumentException("null has no XDR encoding as " + xdrType);
            }
            writer.write(out, value);
        }
    }

    private record IntCodec(boolean unsigned) implements XdrCodec<Integer> {
        @Override
        public Integer read(XdrReader in) throws XdrException {
            return in.readInt();
        }

        @Override
        public void write(XdrWriter out, Integer value) {
            if (value == null) {
                throw new IllegalArgumentException("null has no XDR encoding as " + xdrType());
            }
            out.writeInt(value);
        }

        @Override
        public String xdrType() {
            return unsigned ? "unsigned int" : "int";
        }
    }

    private record OptionalCodec(XdrCodec<Object> element) implements XdrCodec<Optional<Object>> {
        @Override
        public Optional<Object> read(XdrReader in) throws XdrException {
            return Optional.ofNullable(in.readOptional(element::read));
        }

        @Override
        public void write(XdrWriter out, Optional<Object> value) {
            out.writeOptional(value == null ? null : value.orElse(null), element::write);
        }

        @Override
        public String xdrType() {
            return element.xdrType() + " *";
        }
    }

    private static final class ListCodec implements XdrCodec<List<Object>> {
        private final XdrCodec<Object> element;
        private final int fixed;
        private final int max;

        ListCodec(XdrCodec<Object> element, XdrArray bounds, String where) {
            this.element = element;
            this.fixed = bounds == null ? -1 : bounds.fixed();
            this.max = bounds == null ? Integer.MAX_VALUE : bounds.max();
            requireBound(max, where, "@XdrArray(max)");
        }

        @Override
        public List<Object> read(XdrReader in) throws XdrException {
            return fixed >= 0 ? in.readFixedArray(fixed, element::read) : in.readArray(max, element::read);
        }

        @Override
        public void write(XdrWriter out, List<Object> value) {
            if (value == null) {
                throw new IllegalArgumentException("null has no XDR encoding as " + xdrType());
            }
            if (fixed >= 0) {
                out.writeFixedArray(value, fixed, element::write);
            } else {
                out.writeArray(value, max, element::write);
            }
        }

        @Override
        public String xdrType() {
            return element.xdrType() + (fixed >= 0 ? "[" + fixed + "]" : "<" + bound(max) + ">");
        }
    }

    private record ArrayCodec(Class<?> component, ListCodec list) implements XdrCodec<Object> {
        @Override
        public Object read(XdrReader in) throws XdrException {
            List<Object> l = list.read(in);
            Object array = Array.newInstance(component, l.size());
            for (int i = 0; i < l.size(); i++) {
                Array.set(array, i, l.get(i));
            }
            return array;
        }

        @Override
        public void write(XdrWriter out, Object value) {
            if (value == null) {
                throw new IllegalArgumentException("null has no XDR encoding as " + xdrType());
            }
            int n = Array.getLength(value);
            List<Object> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                l.add(Array.get(value, i));
            }
            list.write(out, l);
        }

        @Override
        public String xdrType() {
            return list.xdrType();
        }
    }

    private static final class StructCodec implements XdrCodec<Object> {
        private final String name;
        private List<XdrCodec<Object>> fields;
        private List<MethodHandle> accessors;
        private MethodHandle constructor;

        StructCodec(String name) {
            this.name = name;
        }

        void init(List<XdrCodec<Object>> f, List<MethodHandle> a, MethodHandle ctor) {
            this.fields = List.copyOf(f);
            this.accessors = List.copyOf(a);
            this.constructor = ctor;
        }

        @Override
        public Object read(XdrReader in) throws XdrException {
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = fields.get(i).read(in);
            }
            try {
                return constructor.invokeWithArguments(values);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("constructor of " + name + " failed", e);
            }
        }

        @Override
        public void write(XdrWriter out, Object value) {
            if (value == null) {
                throw new IllegalArgumentException("null has no XDR encoding as struct " + name);
            }
            for (int i = 0; i < fields.size(); i++) {
                Object v;
                try {
                    v = accessors.get(i).invoke(value);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException("accessor of " + name + " failed", e);
                }
                fields.get(i).write(out, v);
            }
        }

        @Override
        public String xdrType() {
            return "struct " + name;
        }
    }
}
